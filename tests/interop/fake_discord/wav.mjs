// Minimal WAV (PCM 16-bit) reader and tone analysis for the voice interop test.
export function parseWav(buf) {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let at = 12;
  let channels = 0;
  let rate = 0;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(at + 10);
      rate = buf.readUInt32LE(at + 12);
    } else if (id === 'data') {
      const samples = new Int16Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(at + 8 + 2 * i);
      return { channels, rate, samples };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

// The audible part of channel 0 (|x| above `threshold`) and its frequency from the count
// of rising zero crossings between the first and the last one.
export function analyseTone({ channels, rate, samples }, threshold = 1000) {
  const frames = samples.length / channels;
  const left = (i) => samples[i * channels];
  let first = -1;
  let last = -1;
  for (let i = 0; i < frames; i++) {
    if (Math.abs(left(i)) > threshold) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return { seconds: 0, frequency: 0 };
  let crossings = 0;
  let firstCross = -1;
  let lastCross = -1;
  for (let i = first + 1; i <= last; i++) {
    if (left(i - 1) < 0 && left(i) >= 0) {
      if (firstCross < 0) firstCross = i;
      lastCross = i;
      crossings++;
    }
  }
  const frequency = crossings > 1 ? ((crossings - 1) * rate) / (lastCross - firstCross) : 0;
  return { seconds: (last - first + 1) / rate, frequency };
}
