import { Inject, Injectable } from '@nestjs/common';
import {
  BusError,
  type AdminRole,
  type AdminUserView,
  type AdminUserWithPassword,
  type CreateAdminUserRequest,
  type UpdateAdminUserRequest,
} from '@tessera/contracts';
import { randomToken } from '@tessera/crypto';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, Transactions, type Transaction } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { HashGate } from '../security/hash-gate.js';
import { AdminSessionsService } from './admin-sessions.service.js';
import { AdminUserStore, type AdminUserRow as UserRow } from './admin-user.store.js';
import { PasswordHasher } from './password-hasher.js';

/**
 * Named administrators: only owners reach these (the gateway checks), and the platform always keeps one
 * owner — the owners' rows are locked while a change that could remove the last is decided, so two owners demoting
 * each other at once cannot both succeed.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: AdminUserStore,
    private readonly sessions: AdminSessionsService,
    private readonly hashes: HashGate,
    private readonly passwords: PasswordHasher,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(): Promise<{ items: AdminUserView[] }> {
    const rows = await this.store.list(this.clock.now());
    return { items: rows.map(toView) };
  }

  async get(id: string, manager?: Transaction): Promise<AdminUserView> {
    const row = await this.store.get(id, this.clock.now(), manager);
    if (!row) throw new BusError('not_found', 'No such administrator');
    return toView(row);
  }

  /** A new administrator with a generated one-time password, shown once: the first sign-in must change it. */
  async create(request: CreateAdminUserRequest, address: string): Promise<AdminUserWithPassword> {
    const oneTimePassword = randomToken(18);
    const passwordHash = await this.hashes.run(address, () => this.passwords.hash(oneTimePassword));
    const now = this.clock.now();
    const id = this.clock.uuid();
    const view = await this.transactions.run(async (manager) => {
      const inserted = await this.store.insertIfNew(
        { id, username: request.username, role: request.role, passwordHash, mustChangePassword: true, createdAt: now, updatedAt: now },
        manager,
      );
      if (!inserted) throw new BusError('conflict', `An administrator named ${request.username} exists already`);
      const created = await this.get(id, manager);
      await this.audit.record(manager, { action: 'admin_user.create', target: target(created), after: auditable(created) });
      return created;
    });
    void this.outbox.flush();
    return { ...view, oneTimePassword };
  }

  /** A role change ends the user's sessions: their tokens carry the old role, so they sign in again under the new one. */
  async update(request: UpdateAdminUserRequest): Promise<AdminUserView> {
    const view = await this.transactions.run(async (manager) => {
      const before = await this.get(request.id, manager);
      if (!request.role || request.role === before.role) return before;
      if (before.role === 'owner') await this.keepAnOwner(manager, before.id, 'demote');
      await this.store.update(manager, { id: request.id }, { role: request.role, updatedAt: this.clock.now() });
      await this.sessions.endAllOf(manager, request.id, 'role_changed');
      const after = await this.get(request.id, manager);
      await this.audit.record(manager, { action: 'admin_user.update', target: target(after), before: auditable(before), after: auditable(after) });
      return after;
    });
    void this.outbox.flush();
    return view;
  }

  async delete(id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const before = await this.get(id, manager);
      if (before.role === 'owner') await this.keepAnOwner(manager, id, 'remove');
      // The sessions are ended (and their tokens denied) before the rows go with the user.
      await this.sessions.endAllOf(manager, id, 'user_deleted');
      await this.store.delete(manager, id);
      await this.audit.record(manager, { action: 'admin_user.delete', target: target(before), before: auditable(before) });
    });
    void this.outbox.flush();
  }

  /** An owner resets another's password: a one-time password, shown once; the user's sessions end. */
  async resetPassword(id: string, address: string): Promise<AdminUserWithPassword> {
    const oneTimePassword = randomToken(18);
    const passwordHash = await this.hashes.run(address, () => this.passwords.hash(oneTimePassword));
    const view = await this.transactions.run(async (manager) => {
      const before = await this.get(id, manager);
      await this.store.update(manager, { id }, { passwordHash, mustChangePassword: true, updatedAt: this.clock.now() });
      await this.sessions.endAllOf(manager, id, 'password_reset');
      const after = await this.get(id, manager);
      await this.audit.record(manager, {
        action: 'admin_user.password_reset',
        target: target(after),
        before: { ...auditable(before), password: 'old' },
        after: { ...auditable(after), password: 'one-time' },
      });
      return after;
    });
    void this.outbox.flush();
    return { ...view, oneTimePassword };
  }

  private async keepAnOwner(manager: Transaction, id: string, change: 'demote' | 'remove'): Promise<void> {
    const owners = await this.store.lockOwners(manager);
    if (owners.every((owner) => owner === id)) {
      throw new BusError(
        'conflict',
        `The last owner cannot be ${change === 'demote' ? 'given another role' : 'removed'}: make another administrator an owner first`,
      );
    }
  }
}

function toView(row: UserRow): AdminUserView {
  return {
    id: row.id,
    username: row.username,
    role: row.role as AdminRole,
    mustChangePassword: row.mustChangePassword,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    activeSessions: row.activeSessions,
    lastSeenAt: row.lastSeenAt ? new Date(row.lastSeenAt).toISOString() : null,
  };
}

/** What the audit log keeps of a user: who and what role, not their comings and goings. */
function auditable(view: AdminUserView) {
  return { username: view.username, role: view.role, mustChangePassword: view.mustChangePassword };
}

const target = (view: AdminUserView) => ({ type: 'admin_user', id: view.id, name: view.username });
