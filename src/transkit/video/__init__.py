"""Subtitle tracks into video files through ffmpeg: soft tracks (MKV, MP4) and burn-in.

``languages`` maps the project's language codes to the ISO 639-2 tags containers
carry; ``mux`` builds ffmpeg's argument lists (pure functions) and runs them.
"""
