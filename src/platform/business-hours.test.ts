import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addBusinessMinutes, isOpen, validateBusinessHours, type BusinessHours } from './business-hours.js';

const office: BusinessHours = { week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }, holidays: ['2026-12-24'] };

test('Friday 16:00 plus four business hours is Monday 12:00 (Berlin)', () => {
  const due = addBusinessMinutes(new Date('2026-11-27T15:00:00Z'), 240, office, 'Europe/Berlin');
  assert.equal(due.toISOString(), '2026-11-30T11:00:00.000Z');
});

test('holidays are closed', () => {
  const due = addBusinessMinutes(new Date('2026-12-23T15:30:00Z'), 60, office, 'Europe/Berlin');
  assert.equal(due.toISOString(), '2026-12-25T08:30:00.000Z');
});

test('the clock keeps local time across the spring DST change (Oslo)', () => {
  const due = addBusinessMinutes(new Date('2027-03-26T15:00:00Z'), 120, office, 'Europe/Oslo'); // Fri 16:00 CET
  assert.equal(due.toISOString(), '2027-03-29T08:00:00.000Z'); // Mon 10:00 CEST
});

test('without business hours the minutes are wall-clock minutes', () => {
  assert.equal(addBusinessMinutes(new Date('2026-11-28T10:00:00Z'), 90, null, 'UTC').toISOString(), '2026-11-28T11:30:00.000Z');
});

test('isOpen follows the spans', () => {
  assert.equal(isOpen(new Date('2026-11-25T08:30:00Z'), office, 'Europe/Berlin'), true);
  assert.equal(isOpen(new Date('2026-11-25T16:30:00Z'), office, 'Europe/Berlin'), false);
  assert.equal(isOpen(new Date('2026-11-28T10:00:00Z'), office, 'Europe/Berlin'), false);
});

test('bad business hours name the problem', () => {
  assert.throws(() => validateBusinessHours({ week: { mon: [['17:00', '09:00']] } }), /closes before it opens/);
  assert.throws(() => validateBusinessHours({ week: { funday: [['09:00', '10:00']] } } as any), /unknown weekday/);
  assert.throws(() => validateBusinessHours({ week: { mon: [['9', '10']] } } as any), /bad span/);
});

test('property: due time is never earlier than the start, and is open or at a closing time', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date('2026-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }), fc.integer({ min: 1, max: 5000 }), (start, minutes) => {
      const due = addBusinessMinutes(start, minutes, office, 'Europe/Berlin');
      assert.ok(due.getTime() >= start.getTime() + 0);
      const justBefore = new Date(due.getTime() - 1000);
      assert.ok(isOpen(justBefore, office, 'Europe/Berlin'), `${start.toISOString()} + ${minutes} → ${due.toISOString()}`);
    }),
    { numRuns: 300 },
  );
});
