"""Program files: TOML → validated domain objects, with line-numbered errors."""
