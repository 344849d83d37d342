"""The demo organisation generator (`dealtrack demo`)."""
