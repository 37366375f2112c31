"""transkit: offline translation of interview transcripts into timed subtitles and bilingual documents."""

__version__ = "0.1.0"
