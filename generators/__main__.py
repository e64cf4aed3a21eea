import sys

from .cli import main

if __name__ == "__main__":  # not when a worker process (render/pdf.py) imports the main module again
    sys.exit(main())
