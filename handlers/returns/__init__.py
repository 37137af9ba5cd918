"""Returns in the chat: ``flow`` the customer's request (/return, Continue, Back, Cancel) with its
steps in ``choices`` (buttons) and ``inputs`` (words and photos); ``answers`` the words a return
waits for afterwards; ``desk`` the managers' card buttons and /returns. Each has its own router;
``handlers/__init__.py`` includes them in order."""
