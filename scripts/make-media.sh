#!/usr/bin/env bash
# Generates the looped fixture of the demo's simulated live stream: demo/media/live/seg000.ts … seg011.ts,
# 24 s of H.264 (main) + AAC in MPEG-TS, cut into 2 s segments. demo/lib/live-playlist.mjs serves them as a
# sliding-window live playlist, so the segment length here must match its `segmentDuration` (default 2).
#
# The output is committed (CI has no ffmpeg); re-run only to change the fixture:  npm run media
# Made with Debian 12's ffmpeg 7:5.1.9-0+deb12u1 (libx264 164, native aac) and the DejaVu Sans Mono font
# (fonts-dejavu-core). Single-threaded, bit-exact flags and no metadata make reruns with those versions
# byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=demo/media/live
SEG=2      # seconds per segment
COUNT=12   # segments in the loop (24 s)
FPS=25
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf

command -v ffmpeg >/dev/null || { echo "make-media: ffmpeg is missing (apt-get install ffmpeg)" >&2; exit 1; }
[ -f "$FONT" ] || { echo "make-media: $FONT is missing (apt-get install fonts-dejavu-core)" >&2; exit 1; }

# A big burnt-in clock, frame counter and segment number, so a viewer (or a screenshot) shows exactly which
# moment of the loop is on screen when a pin or a deal appears.
TEXT="drawtext=fontfile=$FONT:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6"
VF="$TEXT:fontsize=34:x=(w-text_w)/2:y=44:text='%{pts\:hms}',\
$TEXT:fontsize=18:x=(w-text_w)/2:y=110:text='frame %{frame_num}  seg %{eif\:trunc(t/$SEG)\:d}',\
$TEXT:fontsize=14:x=w-text_w-8:y=8:text='kolkit demo live'"
# Silence with a 50 ms 880 Hz tick every second: audible A/V sync without a constant tone.
AUDIO="aevalsrc='0.2*sin(2*PI*880*t)*lt(mod(t\,1)\,0.05)':s=48000:c=mono"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc=size=320x180:rate=$FPS" -f lavfi -i "$AUDIO" -t $((SEG * COUNT)) \
  -vf "$VF" -threads 1 \
  -c:v libx264 -profile:v main -pix_fmt yuv420p -preset medium \
  -b:v 160k -maxrate 200k -bufsize 400k -g $((SEG * FPS)) -keyint_min $((SEG * FPS)) -sc_threshold 0 \
  -c:a aac -b:a 32k -ac 1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  -f hls -hls_time "$SEG" -hls_list_size 0 -hls_segment_filename "$tmp/seg%03d.ts" "$tmp/index.m3u8"

rm -rf "$OUT"
mkdir -p "$OUT"
mv "$tmp"/seg*.ts "$OUT"/
echo "make-media: $(ls "$OUT" | wc -l) segments, $(du -sh "$OUT" | cut -f1) in $OUT"
