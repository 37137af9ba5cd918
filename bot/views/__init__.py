"""What services hand to texts and keyboards to render: plain result types, no I/O, no rendering."""
