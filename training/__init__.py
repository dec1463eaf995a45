"""Scripts that build the models shipped in the package from labelled data."""
