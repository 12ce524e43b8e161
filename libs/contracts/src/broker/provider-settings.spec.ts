import { getMetadataStorage, validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { describe, expect, it } from 'vitest';
import { PROVIDER_SETTING_NAMES, providerSetting, SETTING_SECTIONS, STORED_SETTING_NAMES } from './provider-settings.js';
import { CreateProviderRequest, ProviderView, UpdateProviderFields } from './providers.js';

const declared = (target: abstract new () => object) =>
  new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(target as new () => object, '', true, false)
      .map((m) => m.propertyName),
  );

describe('PROVIDER_SETTINGS', () => {
  it('says, for each setting, what a form, a column and the secret rule need', () => {
    const sections = new Set<string>(SETTING_SECTIONS.map((s) => s.key));
    for (const name of PROVIDER_SETTING_NAMES) {
      const setting = providerSetting(name);
      expect(sections.has(setting.section), `${name}: section ${setting.section}`).toBe(true);
      if (setting.kind === 'select') {
        expect(setting.options?.length, `${name}: options`).toBeGreaterThan(0);
        if (setting.default !== null) expect(setting.options, `${name}: default among its options`).toContain(setting.default);
      }
      // A URL carries a secret or says it carries none: a new URL setting cannot be silent about it (ADR 0015).
      if (setting.kind === 'url') expect(Array.isArray(setting.secrets), `${name}: secrets`).toBe(true);
      else expect(setting.secrets, `${name}: only URLs have destinations`).toBeUndefined();
    }
  });

  it('declares every setting on the requests and every stored one on the view', () => {
    const create = declared(CreateProviderRequest);
    const update = declared(UpdateProviderFields);
    const view = declared(ProviderView);
    for (const name of PROVIDER_SETTING_NAMES) {
      expect(create.has(name), `create: ${name}`).toBe(true);
      expect(update.has(name), `update: ${name}`).toBe(true);
    }
    for (const name of STORED_SETTING_NAMES) expect(view.has(name), `view: ${name}`).toBe(true);
    expect(view.has('clientSecret')).toBe(false);
  });

  it('validates from the data: required on create, optional on update, kinds and bounds', async () => {
    const errors = async (target: new () => object, body: object) =>
      Object.fromEntries((await validate(plainToInstance(target, body))).map((e) => [e.property, Object.values(e.constraints ?? {})]));
    expect(Object.keys(await errors(CreateProviderRequest, {})).sort()).toEqual(['clientId', 'grantType', 'name', 'tokenUrl']);
    // From a template, only the client is required: the rest comes from the template.
    expect(Object.keys(await errors(CreateProviderRequest, { template: 'zendesk' }))).toEqual(['clientId']);
    expect(await errors(UpdateProviderFields, {})).toEqual({});
    const wrong = await errors(UpdateProviderFields, { tokenRequestFormat: 'xml', stateLength: 4, expiresAtPath: 'a..b', apiHeaders: { x: 1 } });
    expect(wrong.tokenRequestFormat).toEqual(['tokenRequestFormat must be one of form, json, query']);
    expect(wrong.stateLength).toEqual(['stateLength must not be less than 8']);
    expect(wrong.expiresAtPath).toEqual(['expiresAtPath must be a property name or a dotted path such as data.access_token']);
    expect(wrong.apiHeaders).toEqual(['apiHeaders must be an object whose values are strings']);
  });
});
