"""``python app.py [options]``: the web page and the HTTP API on http://127.0.0.1:7860/.

The same as ``vnsum serve``; ``python app.py --help`` lists the options.
"""

import sys

from vnsum.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
