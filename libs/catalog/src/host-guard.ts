import type { CatalogProblem } from './problem.js';
import { URL_FIELDS, urlField, type ProviderTemplate, type TemplateVariable } from './template.js';
import { fillRaw, hostVariables, staysWithin } from './url-template.js';

/**
 * Values an attacker (or a careless admin) might give a host variable to move a request elsewhere: another host, a
 * host under the attacker's domain, userinfo, a port, a path or fragment that ends the authority early, a downgrade to
 * http. A host variable's pattern must refuse every one that would leave its parent domain.
 */
function hostileValues(variable: TemplateVariable, parent: string): string[] {
  const ex = variable.example;
  const values = [
    'evil.example',
    `${ex}.evil.example`,
    `evil.example/${ex}`,
    `evil.example#${ex}`,
    `evil.example?${ex}`,
    `evil.example\\${ex}`,
    `${ex}@evil.example`,
    `evil.example@${ex}`,
    `${ex}:8443`,
    `${ex}%2eevil.example`,
    `${ex}.${parent}.evil.example`,
    `evil.example/.${parent}`,
    ' ',
    `${ex} `,
    `${ex}\n`,
  ];
  // A variable that is a whole origin (Salesforce's instance_url) gets origin-shaped attacks too.
  if (/^\^?https/.test(variable.pattern) || ex.startsWith('https://')) {
    values.push(
      'https://evil.example',
      `https://evil.example/.${parent}`,
      `https://evil.example#.${parent}`,
      `https://evil.example?.${parent}`,
      `https://evil.example\\.${parent}`,
      `https://x.${parent}@evil.example`,
      `https://x.${parent}.evil.example`,
      `https://evil${parent}`,
      `https://x.${parent}:8443`,
      `http://x.${parent}`,
      `${ex}@evil.example`,
      `${ex}.evil.example`,
    );
  }
  return values;
}

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/**
 * Host variables: declared with a parent domain, and constrained by their pattern so that no value can move the
 * request off it. Checked by filling each URL with the example (it must land under the parent) and with every hostile
 * value the pattern accepts (each must too), filling raw — the worst an engine could do.
 */
export function hostProblems(template: ProviderTemplate): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const variables = new Map((template.variables ?? []).map((v) => [v.name, v]));
  const examples = Object.fromEntries([...variables.values()].map((v) => [v.name, v.example]));
  const field = (name: string) => `variables.${name}`;
  const reported = new Set<string>();
  const report = (problem: CatalogProblem) => {
    const key = `${problem.field}|${problem.message}`;
    if (!reported.has(key)) {
      reported.add(key);
      problems.push({ ...problem, provider: template.id });
    }
  };

  for (const urlName of URL_FIELDS) {
    const template_ = urlField(template, urlName);
    if (!template_) continue;
    for (const name of hostVariables(template_)) {
      const variable = variables.get(name);
      if (!variable) continue; // undeclared: reported by the variable rules
      const parent = variable.hostParent;
      if (!parent) {
        report({
          provider: '',
          field: field(name),
          message: `fills the host of ${urlName} but declares no hostParent: a host variable must name the domain it keeps requests on`,
        });
        continue;
      }
      const regex = compile(variable.pattern);
      if (!regex) continue; // reported by the variable rules
      const filled = fillRaw(template_, examples);
      if (!staysWithin(filled, parent)) {
        report({ provider: '', field: urlName, message: `with the examples filled in (${filled}) is not an https URL on ${parent} or a host under it` });
        continue;
      }
      for (const value of hostileValues(variable, parent)) {
        if (!regex.test(value)) continue;
        const attempt = fillRaw(template_, { ...examples, [name]: value });
        if (!staysWithin(attempt, parent)) {
          report({
            provider: '',
            field: field(name),
            message: `pattern ${variable.pattern} accepts ${JSON.stringify(value)}, which moves ${urlName} off ${parent} (${attempt}): constrain it to what may fill the host, e.g. one DNS label`,
          });
        }
      }
    }
  }

  for (const variable of variables.values()) {
    if (!variable.hostParent) continue;
    const usedInHost = URL_FIELDS.some((f) => {
      const t = urlField(template, f);
      return t !== undefined && hostVariables(t).includes(variable.name);
    });
    if (!usedInHost) report({ provider: '', field: `${field(variable.name)}.hostParent`, message: 'is set but the variable fills no host' });
  }
  return problems;
}
