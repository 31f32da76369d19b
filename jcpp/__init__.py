"""jcpp: the Joint Community Police Partnership meeting tracker."""

__version__ = "0.1.0"
