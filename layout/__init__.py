"""益阳市“十四五”服务业发展规划: the 一核两翼三极 spatial layout as a library.

No module in this package imports streamlit; the app and the CLI are thin faces over it.
"""

__version__ = "0.1.0"
