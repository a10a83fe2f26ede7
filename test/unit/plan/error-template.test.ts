import { describe, expect, it } from 'vitest';
import { errorTemplate } from '../../../src/plan/error-template.js';

const none = () => undefined;

describe('error bodies follow the schema the spec declares for them', () => {
  it('fills the house envelope', () => {
    const schema = {
      type: 'object',
      required: ['success', 'error'],
      properties: {
        success: { type: 'boolean', const: false },
        error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' } } },
      },
    };
    expect(errorTemplate(schema, none)).toEqual({
      success: false,
      error: { code: { $fill: 'code' }, message: { $fill: 'message' }, requestId: { $fill: 'requestId' } },
    });
  });

  it('puts the HTTP status into an integer code and gives unknown required fields a neutral value', () => {
    const schema = { type: 'object', required: ['code', 'message', 'kind'], properties: { code: { type: 'integer' }, message: { type: 'string' }, kind: { type: 'string', enum: ['error', 'fatal'] } } };
    expect(errorTemplate(schema, none)).toEqual({ code: { $fill: 'status' }, message: { $fill: 'message' }, kind: 'error' });
  });

  it('shapes validation details after the declared item schema', () => {
    const schema = {
      type: 'object',
      properties: { errors: { type: 'array', items: { type: 'object', required: ['field', 'issue'], properties: { field: { type: 'string' }, issue: { type: 'string' } } } } },
    };
    expect(errorTemplate(schema, none)).toEqual({
      errors: { $each: 'details', item: { field: { $fill: 'detail.location' }, issue: { $fill: 'detail.message' } } },
    });
    // Required: an error without issues still sends the (empty) list.
    expect(errorTemplate({ ...schema, required: ['errors'] }, none)).toMatchObject({ errors: { fallback: [] } });
  });

  it('passes an error`s details object through where the schema lets details be an object', () => {
    const item = { type: 'object', required: ['field', 'issue'], properties: { field: { type: 'string' }, issue: { type: 'string' } } };
    // The e-commerce ErrorEnvelope: validation issues as a list, `{ state, allowed }` of a wrong-state transition as an object.
    expect(errorTemplate({ type: 'object', properties: { details: { type: ['array', 'object'], items: item } } }, none)).toEqual({
      details: { $each: 'details', item: { field: { $fill: 'detail.location' }, issue: { $fill: 'detail.message' } }, objects: true },
    });
    expect(errorTemplate({ type: 'object', properties: { details: { type: 'object' } } }, none)).toEqual({ details: { $fill: 'detailObject' } });
    // Details with properties of their own are not guessed at.
    expect(errorTemplate({ type: 'object', properties: { details: { type: 'object', properties: { retry: { type: 'boolean' } } } } }, none)).toEqual({});
  });

  it('follows refs and merges allOf parts', () => {
    const lookup = (id: string) => (id === 'Problem' ? { type: 'object', properties: { title: { type: 'string' }, status: { type: 'integer' } } } : undefined);
    expect(errorTemplate({ allOf: [{ $ref: 'Problem' }, { properties: { detail: { type: 'string' } } }] }, lookup)).toEqual({
      title: { $fill: 'statusText' },
      status: { $fill: 'status' },
      detail: { $fill: 'message' },
    });
  });
});
