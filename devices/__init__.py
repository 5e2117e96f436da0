"""Hardware behind small protocols: each kind with real and simulated backends."""
