import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_SCHEMA } from '../auth-schema.js';
import { SqlAdminSessionStore } from './admin-session.store.js';
import type { AdminUser } from './admin-user.entity.js';
import { SqlAdminUserStore } from './admin-user.store.js';

let db: StoreDatabase;
let users: SqlAdminUserStore;
let sessions: SqlAdminSessionStore;

function user(role: AdminUser['role'] = 'viewer'): AdminUser {
  const now = new Date();
  return {
    id: randomUUID(),
    username: `user-${randomUUID().slice(0, 8)}`,
    role,
    passwordHash: 'hash',
    mustChangePassword: true,
    createdAt: now,
    updatedAt: now,
  };
}

beforeAll(async () => {
  db = await openStoreDatabase(AUTH_SCHEMA);
  users = new SqlAdminUserStore(db.dataSource);
  sessions = new SqlAdminSessionStore(db.dataSource);
});
afterAll(() => db?.close());

describe('SqlAdminUserStore', () => {
  it('stores a username once, and lists each user with their live sessions and when they were last seen', async () => {
    const ada = user();
    expect(await users.insertIfNew(ada)).toBe(true);
    expect(await users.insertIfNew({ ...user(), username: ada.username })).toBe(false);
    expect(await users.exists(ada.username)).toBe(true);
    const now = new Date();
    const live = {
      id: randomUUID(),
      user_id: ada.id,
      started_at: now,
      ends_at: new Date(now.getTime() + 3_600_000),
      idle_expires_at: new Date(now.getTime() + 60_000),
    };
    const idle = { ...live, id: randomUUID(), idle_expires_at: new Date(now.getTime() - 1) };
    await db.transactions.run(async (tx) => {
      await sessions.insert(tx, live, '127.0.0.1');
      await sessions.insert(tx, idle, null);
    });
    const row = (await users.list(now)).find((u) => u.id === ada.id);
    expect(row).toMatchObject({ username: ada.username, role: 'viewer', mustChangePassword: true, activeSessions: 1 });
    expect(row?.lastSeenAt).toBeInstanceOf(Date);
    expect(row).not.toHaveProperty('passwordHash');
    expect(await users.get(randomUUID(), now)).toBeUndefined();
  });

  it('changes and deletes a user by id or by username', async () => {
    const grace = user();
    await users.insertIfNew(grace);
    await db.transactions.run((tx) => users.update(tx, { username: grace.username }, { passwordHash: 'new', mustChangePassword: false }));
    expect(await users.byUsername(grace.username)).toMatchObject({ passwordHash: 'new', mustChangePassword: false });
    await db.transactions.run((tx) => users.update(tx, { id: grace.id }, { role: 'owner' }));
    expect(await db.transactions.run((tx) => users.forSession(tx, grace.id))).toEqual({
      id: grace.id,
      username: grace.username,
      role: 'owner',
      mustChangePassword: false,
    });
    await db.transactions.run((tx) => users.delete(tx, grace.id));
    expect(await users.byUsername(grace.username)).toBeNull();
  });

  it('holds a second look at the owners until the first change that could remove the last one commits', async () => {
    const owner = user('owner');
    await users.insertIfNew(owner);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const first = db.transactions.run(async (tx) => {
      await users.lockOwners(tx);
      await held;
      await users.update(tx, { id: owner.id }, { role: 'admin' });
      order.push('demoted');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = db.transactions.run(async (tx) => {
      const owners = await users.lockOwners(tx);
      order.push(owners.includes(owner.id) ? 'still an owner' : 'no longer an owner');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['demoted', 'no longer an owner']);
  });
});

describe('SqlAdminSessionStore', () => {
  it('renews a live session never past its end, ends it once, and no longer renews it', async () => {
    const ada = user();
    await users.insertIfNew(ada);
    const now = new Date();
    const session = {
      id: randomUUID(),
      user_id: ada.id,
      started_at: now,
      ends_at: new Date(now.getTime() + 60_000),
      idle_expires_at: new Date(now.getTime() + 10_000),
    };
    await db.transactions.run((tx) => sessions.insert(tx, session, null));
    const renewed = await db.transactions.run((tx) => sessions.renew(tx, session.id, new Date(), new Date(now.getTime() + 3_600_000)));
    expect(renewed?.idle_expires_at.getTime()).toBe(session.ends_at.getTime());
    expect(await sessions.live(session.id)).toMatchObject({ username: ada.username, role: 'viewer', must_change_password: true });
    expect(await db.transactions.run((tx) => sessions.end(tx, { userId: ada.id }, new Date(), 'logout'))).toEqual([session.id]);
    expect(await db.transactions.run((tx) => sessions.end(tx, { id: session.id }, new Date(), 'logout'))).toEqual([]);
    expect(await sessions.live(session.id)).toBeUndefined();
    expect(await db.transactions.run((tx) => sessions.renew(tx, session.id, new Date(), new Date(Date.now() + 60_000)))).toBeUndefined();
    expect(await db.transactions.run((tx) => sessions.clientRevokedAt(tx, 'tessera-admin'))).toBeUndefined();
  });
});
