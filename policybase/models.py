"""No models. The module exists because Django sends ``post_migrate`` only to apps that have one, and
``PolicybaseConfig`` sets up the role groups on that signal."""
