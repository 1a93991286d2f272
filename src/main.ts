// Entry point: registers the root element; index.html places it.
import './ui/chunkscope-app.ts';
