"""Everything syncbot writes that carries people's text: inert markdown, one Mermaid renderer, the forges'
size limits.  Pure functions, no I/O."""
