import type {PlayerActions} from './live-player.controls.js';

/** The player as its intents see it: its public controls, and the element itself (fullscreen, re-render). */
export type ActionTarget = HTMLElement & {
  muted: boolean;
  goLive(): void;
  seekToProgramTime(date: Date): void;
  requestUpdate(): void;
  togglePictureInPicture(): Promise<void>;
};

/** The stream's subtitle and caption tracks (hls.js adds them from the playlist and CEA-608). */
export function captionTracks(video: HTMLVideoElement | undefined): TextTrack[] {
  return [...(video?.textTracks ?? [])].filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
}

/**
 * What each of the viewer's intents does (media-chrome's request map): one table, shared by the control
 * bar and the keyboard map. A refused play or fullscreen is not an error worth reporting: the control
 * simply stays as it was.
 */
export function playerActions(player: ActionTarget, video: () => HTMLVideoElement): PlayerActions {
  return {
    togglePlay: () => {
      if (video().paused) void video().play().catch(() => undefined);
      else video().pause();
    },
    toggleMute: () => {
      player.muted = !player.muted;
      video().muted = player.muted;
    },
    unmute: () => {
      player.muted = false;
      video().muted = false;
      void video().play().catch(() => undefined);
    },
    toggleCaptions: () => {
      const tracks = captionTracks(video());
      const on = tracks.some((t) => t.mode === 'showing');
      tracks.forEach((t, i) => (t.mode = !on && i === 0 ? 'showing' : on ? 'disabled' : t.mode));
      player.requestUpdate();
    },
    togglePip: () => void player.togglePictureInPicture(),
    // Fullscreen on the element itself, so the overlays slotted into it stay visible.
    toggleFullscreen: () => {
      const action = document.fullscreenElement === player ? document.exitFullscreen() : player.requestFullscreen();
      void action.catch(() => undefined).then(() => player.requestUpdate());
    },
    goLive: () => player.goLive(),
    seekBy: (seconds) => (video().currentTime += seconds),
    seekTo: (time) => (video().currentTime = time),
    seekToProgramTime: (at) => player.seekToProgramTime(new Date(at)),
  };
}
