"""The PySide6 desk: windows and widgets that call ``issuance`` services, never the database."""
