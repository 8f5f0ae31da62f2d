"""`python -m reportgen` runs the command line."""

from reportgen.cli import main

# Guarded: worker processes (`build A B`, the PDF in `serve`) import this module again.
if __name__ == "__main__":
    main()
