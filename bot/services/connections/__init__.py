"""Connected shop platforms and CRMs: taking their orders in, telling them what happened, and
``vykup connect`` itself."""
