"""Several processes, one bot: which process does what, and leader election between them."""
