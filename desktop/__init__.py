"""savedesk's desktop application (Qt) and its command line."""
