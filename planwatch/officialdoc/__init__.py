"""The form of a Chinese official document in .docx (python-docx only, no Django): every
document the platform prints — reports, 预警通报 — is laid out by it, so they look alike."""
