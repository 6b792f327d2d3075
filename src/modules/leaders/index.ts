

export { draw, drawAll, getDraw, listItems, pickSample, saveSettings } from './leaders.service.js';
export { buildDigest, previewDigest } from './digest.js';
