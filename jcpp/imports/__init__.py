"""Importing minutes files (.docx, .pdf, .txt, .md) for a committee: in the app and from the
command line (`jcpp import minutes`)."""
