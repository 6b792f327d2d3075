/**
 * Leaders within earshot (issue 7): each leader gets 1–3 real open requests per working day, drawn at random (seeded,
 * replayable) from open conversations; the team prepares each one (summary, proposed answer); the leader answers in
 * their own name through the customer's channel or hands it back. A weekly cap, absences and a named deputy keep the
 * leader from burning out. Design: docs/leaders.md. One file per use case; this file gathers them for the routes, the
 * CLI and the demo.
 */
export { DRAW_JOB, DIGEST_JOB, STRATA, type Stratum, OPEN_STATUSES, type LeaderSettings, settingsOf, localDay, weekOf, nextLocal, drawHour } from './shared.js';
export { type SettingsInput, saveSettings, addAbsence, removeAbsence, listLeaders } from './settings.js';
export { type Candidate, pickSample, candidatesHash, type Unassigned, type DrawView, draw, drawAll, getDraw, runDrawJob } from './draw.js';
export { type ItemView, type FollowThrough, listItems, getItem, prepare, answer, handBack, today, listItemsForDigest } from './items.js';
