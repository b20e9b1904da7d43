"""部门预决算公开网站：`python build.py build` 生成网站，`python build.py check` 只检查数据。"""

import sys

from disclosure.cli import main

if __name__ == "__main__":
    sys.exit(main())
