#!/usr/bin/env bash
# How the committed fixtures were made (ffmpeg 7, Debian). Not run by the build: the files are committed.
# Each is 2 s: 0.5 s of silence, 1 s of a 300 Hz tone with a 2nd harmonic ("speech"), 0.5 s of silence.
set -euo pipefail
cd "$(dirname "$0")"
SRC="aevalsrc='if(between(t,0.5,1.5),0.4*sin(2*PI*300*t)+0.2*sin(2*PI*630*t),0)':s=16000:d=2"
STEREO="aevalsrc='if(between(t,0.5,1.5),0.4*sin(2*PI*300*t),0)|if(between(t,0.5,1.5),0.4*sin(2*PI*500*t),0)':s=16000:d=2"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
ff -f lavfi -i "$SRC" -ar 8000 -sample_fmt s16 -c:a flac -compression_level 12 tone.flac
ff -f lavfi -i "$SRC" -c:a libmp3lame -b:a 24k tone-cbr.mp3
ff -f lavfi -i "$SRC" -c:a libmp3lame -b:a 24k -write_xing 0 -id3v2_version 0 tone-noxing.mp3
ff -f lavfi -i "$SRC" -c:a libmp3lame -q:a 9 tone-vbr.mp3
ff -f lavfi -i "$STEREO" -c:a libmp3lame -b:a 32k tone-stereo.mp3
ff -f lavfi -i "$SRC" -c:a libvorbis -q:a 0 tone-vorbis.ogg
ff -f lavfi -i "$SRC" -c:a libopus -b:a 12k tone-opus.ogg
# PNS off: JCodec's AAC decoder (JAAD) turns frames coded with perceptual noise substitution into silence.
ff -f lavfi -i "$SRC" -c:a aac -b:a 24k -aac_pns 0 tone.m4a
ff -f lavfi -i "$SRC" -c:a libopus -b:a 12k tone.webm
ff -f lavfi -i "$SRC" -ar 8000 -c:a pcm_mulaw tone-mulaw.wav
