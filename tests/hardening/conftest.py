"""The hardening tests share the root conftest's fixtures (rounds, write_csv, loaded)."""
