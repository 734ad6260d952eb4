"""Allow ``python -m isodocs``."""

from isodocs.cli import main

if __name__ == "__main__":
    main()
