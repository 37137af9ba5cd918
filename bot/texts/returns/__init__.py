"""What people read about returns: ``request`` the request itself (its labels, the customer's
instructions, the managers' card), ``flow`` the steps of putting it together in the chat,
``updates`` the customer's news as it moves on, ``desk`` the managers' progress, questions and
/returns, ``stats`` the returns part of /stats."""
