"""reportgen: compile safeguarding children partnership annual reports."""

__version__ = "0.1.0"
