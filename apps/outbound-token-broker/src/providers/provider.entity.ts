/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the settings' columns are declared from PROVIDER_SETTINGS below: a class for TypeORM, an interface for their types */
import { isNullableSetting, PROVIDER_SETTINGS, STORED_SETTING_NAMES, type ProviderSetting, type ProviderSettingValues } from '@tessera/contracts';
import type { StoredSigningKey } from '../signing/signing-key.js';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn, type ColumnOptions } from 'typeorm';

/**
 * An OAuth 2 provider: where the broker gets tokens from, and how that server's answers differ from the standard.
 * Its settings' columns are declared from PROVIDER_SETTINGS (libs/contracts), below the class.
 */
@Entity({ name: 'provider' })
export class Provider {
  @PrimaryColumn('uuid') id: string;
  /** AES-256-GCM sealed; never leaves the broker except in a request to the provider itself. */
  @Column('text', { name: 'client_secret_sealed', nullable: true }) clientSecretSealed: string | null;
  /** private_key_jwt / jwt_bearer: the signing key (PKCS #8 PEM, sealed) and the public half of it and of the one before it. */
  @Column('text', { name: 'signing_key_sealed', nullable: true }) signingKeySealed: string | null;
  @Column('jsonb', { name: 'signing_keys', default: () => `'[]'::jsonb` }) signingKeys: StoredSigningKey[];
  /** The catalog template it was made from (id and version) and the variables it was filled with; null: typed by hand. */
  @Column('text', { name: 'template_id', nullable: true }) templateId: string | null;
  @Column('int', { name: 'template_version', nullable: true }) templateVersion: number | null;
  @Column('jsonb', { name: 'template_variables', nullable: true }) templateVariables: Record<string, string> | null;
  /** Bumped on every change; part of the cache key of the provider's passport strategy, so an edit rebuilds it. */
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
export interface Provider extends ProviderSettingValues {}

/** The column a setting is stored in: snake_case of its name. */
const settingColumn = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function columnOptions(name: (typeof STORED_SETTING_NAMES)[number]): ColumnOptions {
  const setting: ProviderSetting = PROVIDER_SETTINGS[name];
  const nullable = isNullableSetting(name);
  const base: ColumnOptions = { name: settingColumn(name), nullable, ...(name === 'name' ? { unique: true } : {}) };
  const value = setting.default;
  switch (setting.kind) {
    case 'number':
      return { ...base, type: 'int', ...(value !== null ? { default: value } : {}) };
    case 'checkbox':
      return { ...base, type: 'boolean', default: value };
    case 'record':
      return { ...base, type: 'jsonb', default: () => `'{}'::jsonb` };
    case 'list':
      return { ...base, type: 'text', array: true, default: () => `'{}'` };
    default:
      return { ...base, type: 'text', ...(value !== null ? { default: value } : {}) };
  }
}

for (const name of STORED_SETTING_NAMES) Column(columnOptions(name))(Provider.prototype, name);
