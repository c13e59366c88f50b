import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { BookingOutbox } from '../../core/booking/outbox';
import { AuditLog } from '../../core/staff/auditLog';
import { sampleRequest } from '../helpers/bookingRequests';
import { addStaff, StaffClient } from '../helpers/staffClient';
import { startApp } from '../helpers/testApp';

describe('the bookings page of the staff console', () => {
  let app: App;
  let base: string;
  let storage: MemoryStorage;
  let outbox: BookingOutbox;

  beforeAll(async () => {
    storage = new MemoryStorage();
    ({ app, base } = await startApp({ STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000' }, { storage }));
    await addStaff(storage, 'reception@clinic.example', 'agent');
    outbox = new BookingOutbox(storage);
  });
  afterAll(() => app.close());

  it('lists requests with their state, marks one handled with an audit entry, and exports CSV', async () => {
    const request = sampleRequest({ requestId: '3f1c2a9e-0000-4000-8000-000000000001' });
    await outbox.add(request);
    const agent = new StaffClient(base);
    await agent.signIn('reception@clinic.example');
    const { body } = await agent.page('/staff/bookings');
    expect(body).toContain(request.patient.name);
    expect(body).toContain('pending');

    const csv = await agent.get('/staff/bookings.csv?status=all');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toContain(request.requestId);

    const done = await agent.post('/staff/bookings/handled', { _csrf: agent.csrf, id: request.requestId });
    expect(done.status).toBe(303);
    expect((await outbox.get(request.requestId))?.handledAt).toBeDefined();
    expect((await agent.page('/staff/bookings?status=handled')).body).toContain(request.patient.name);
    const audit = await new AuditLog(storage).recent();
    expect(audit[0]).toMatchObject({ actor: 'reception@clinic.example', action: 'booking-status', detail: 'handled' });
    // The audit log names the request by its short id, never the patient.
    expect(JSON.stringify(audit)).not.toContain(request.patient.name);
  });

  it('sends a rejected request again once staff re-queue it', async () => {
    const request = sampleRequest({ requestId: '3f1c2a9e-0000-4000-8000-000000000002' });
    await outbox.add(request);
    await outbox.markRejected(request.requestId, 422);
    const agent = new StaffClient(base);
    await agent.signIn('reception@clinic.example');
    await agent.page('/staff/bookings?status=rejected');
    const requeued = await agent.post('/staff/bookings/requeue', { _csrf: agent.csrf, id: request.requestId });
    expect(requeued.status).toBe(303);
    expect(await outbox.get(request.requestId)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
