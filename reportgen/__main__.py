"""`python -m reportgen` runs the command line."""

# Guarded: worker processes (`build A B`, the chart and PDF processes, the PDF in
# `serve`) import this module again, as `__mp_main__`; they need no command line (Typer
# and the commands: about 0.1 s of each one's start).
if __name__ == "__main__":
    from reportgen.cli import main

    main()
