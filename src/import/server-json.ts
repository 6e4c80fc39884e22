/**
 * The part of the official MCP registry `server.json` (schema 2025-09-29 and later) that import
 * reads. The registry schema is larger; unknown fields are ignored, the ones used are checked.
 */
export interface RegistryInput {
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
  format?: string;
  value?: string;
  default?: string;
  placeholder?: string;
  choices?: string[];
  variables?: Record<string, RegistryInput>;
}

export interface RegistryArgument extends RegistryInput {
  type: 'positional' | 'named';
  name?: string;
  valueHint?: string;
  isRepeated?: boolean;
}

export interface RegistryKeyValue extends RegistryInput {
  name: string;
}

export interface RegistryTransport {
  type: 'stdio' | 'streamable-http' | 'sse';
  url?: string;
  headers?: RegistryKeyValue[];
}

export interface RegistryPackage {
  registryType: string;
  identifier: string;
  version: string;
  transport: RegistryTransport;
  runtimeHint?: string;
  runtimeArguments?: RegistryArgument[];
  packageArguments?: RegistryArgument[];
  environmentVariables?: RegistryKeyValue[];
}

export interface RegistryRemote {
  type: 'streamable-http' | 'sse';
  url: string;
  headers?: RegistryKeyValue[];
  variables?: Record<string, RegistryInput>;
}

export interface ServerJson {
  name: string;
  description?: string;
  title?: string;
  version?: string;
  packages?: RegistryPackage[];
  remotes?: RegistryRemote[];
}

const input = {
  type: 'object',
  properties: {
    description: { type: 'string' },
    isRequired: { type: 'boolean' },
    isSecret: { type: 'boolean' },
    format: { type: 'string' },
    value: { type: 'string' },
    default: { type: 'string' },
    placeholder: { type: 'string' },
    choices: { type: 'array', items: { type: 'string' } },
    variables: { type: 'object', additionalProperties: { $ref: '#/$defs/input' } },
  },
};

const keyValue = {
  allOf: [{ $ref: '#/$defs/input' }],
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 } },
};

/** JSON Schema (2020-12) of the fields import uses, with the registry's own names and types. */
export const serverJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    title: { type: 'string' },
    version: { type: 'string' },
    packages: { type: 'array', items: { $ref: '#/$defs/package' } },
    remotes: { type: 'array', items: { $ref: '#/$defs/remote' } },
  },
  $defs: {
    input,
    keyValue,
    argument: {
      allOf: [{ $ref: '#/$defs/input' }],
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['positional', 'named'] },
        name: { type: 'string' },
        valueHint: { type: 'string' },
        isRepeated: { type: 'boolean' },
      },
    },
    transport: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['stdio', 'streamable-http', 'sse'] },
        url: { type: 'string' },
        headers: { type: 'array', items: { $ref: '#/$defs/keyValue' } },
      },
    },
    package: {
      type: 'object',
      required: ['registryType', 'identifier', 'version', 'transport'],
      properties: {
        registryType: { type: 'string', minLength: 1 },
        identifier: { type: 'string', minLength: 1 },
        version: { type: 'string', minLength: 1 },
        runtimeHint: { type: 'string' },
        transport: { $ref: '#/$defs/transport' },
        runtimeArguments: { type: 'array', items: { $ref: '#/$defs/argument' } },
        packageArguments: { type: 'array', items: { $ref: '#/$defs/argument' } },
        environmentVariables: { type: 'array', items: { $ref: '#/$defs/keyValue' } },
      },
    },
    remote: {
      type: 'object',
      required: ['type', 'url'],
      properties: {
        type: { enum: ['streamable-http', 'sse'] },
        url: { type: 'string', minLength: 1 },
        headers: { type: 'array', items: { $ref: '#/$defs/keyValue' } },
        variables: { type: 'object', additionalProperties: { $ref: '#/$defs/input' } },
      },
    },
  },
} as const;
