#!/usr/bin/env bash
# Generates the looped fixture of the demo's simulated live stream: demo/media/live/seg000.ts … seg011.ts,
# 24 s of H.264 (main) + AAC in MPEG-TS, cut into 2 s segments, and the same frames remuxed (not re-encoded)
# into fMP4/CMAF: demo/media/live-fmp4/init.mp4 + seg000.m4s … seg011.m4s. demo/lib/live-playlist.mjs serves
# them as sliding-window live playlists (/live/ and /live-fmp4/), and /replay/ as a VOD over the TS ones, so
# the segment length here must match its `segmentDuration` (default 2).
#
# No timed metadata is baked in: the origin writes host events into the segments when they are requested
# (ID3 PES in TS, emsg in fMP4: demo/lib/mpegts.mjs, demo/lib/fmp4.mjs), since events are dynamic.
#
# The output is committed (CI has no ffmpeg); re-run only to change the fixture:  npm run media
# Made with Debian 12's ffmpeg 7:5.1.9-0+deb12u1 (libx264 164, native aac) and the DejaVu Sans Mono font
# (fonts-dejavu-core). Single-threaded, bit-exact flags and no metadata make reruns with those versions
# byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=demo/media/live
OUT_FMP4=demo/media/live-fmp4
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

# Every segment starts with its first video frame, and no audio sample comes before it: no B-frames (so the
# segmenter's cut at the keyframe's DTS is also its PTS) and the audio moved on by the AAC encoder's 1024
# priming samples (so the first audio packet is at 0, not -21 ms). EXT-X-PROGRAM-DATE-TIME then names the
# same instant whichever convention a player uses (hls.js takes the earliest audio-or-video PTS of a TS
# segment, the video's of a muxed fMP4 one), and so does the ID3 the origin stamps at that first frame.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc=size=320x180:rate=$FPS" -f lavfi -i "$AUDIO" -t $((SEG * COUNT)) \
  -vf "$VF" -threads 1 \
  -c:v libx264 -profile:v main -pix_fmt yuv420p -preset medium -bf 0 \
  -b:v 160k -maxrate 200k -bufsize 400k -g $((SEG * FPS)) -keyint_min $((SEG * FPS)) -sc_threshold 0 \
  -af asetpts=PTS+1024 -c:a aac -b:a 32k -ac 1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  -f hls -hls_time "$SEG" -hls_list_size 0 -hls_segment_filename "$tmp/seg%03d.ts" "$tmp/index.m3u8"

# The same packets in fMP4 (remuxed, not re-encoded), read through ffmpeg's own TS playlist so timestamps run
# on across segments, and cut at the same keyframes. No edit list: the fragments' own timestamps keep the TS
# segments' A/V alignment (both shifted by the first DTS), which is what MSE and hls.js go by.
mkdir -p "$tmp/fmp4"
ffmpeg -hide_banner -loglevel error -y -copyts -i "$tmp/index.m3u8" -map 0 -c copy -bsf:a aac_adtstoasc \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  -f hls -hls_time "$SEG" -hls_list_size 0 -hls_segment_type fmp4 -hls_segment_options use_editlist=0 \
  -hls_fmp4_init_filename init.mp4 -hls_segment_filename "$tmp/fmp4/seg%03d.m4s" "$tmp/fmp4/index.m3u8"

rm -rf "$OUT" "$OUT_FMP4"
mkdir -p "$OUT" "$OUT_FMP4"
mv "$tmp"/seg*.ts "$OUT"/
mv "$tmp"/fmp4/init.mp4 "$tmp"/fmp4/seg*.m4s "$OUT_FMP4"/
echo "make-media: $(ls "$OUT" | wc -l) segments, $(du -sh "$OUT" | cut -f1) in $OUT"
echo "make-media: $(ls "$OUT_FMP4"/seg*.m4s | wc -l) segments + init.mp4, $(du -sh "$OUT_FMP4" | cut -f1) in $OUT_FMP4"
