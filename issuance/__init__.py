"""Back office for biometric residence cards of foreign residents of Albania (no Qt here)."""
