import { parseDocument, type Document } from 'yaml';

/**
 * Version 2 of the e-commerce design, as a team would change it: one new field, a new entity with its
 * endpoints, one endpoint removed and one parameter's type changed. Applied to the YAML documents so
 * the rest of the example (and its comments) stays as it is.
 */
export function ecommerceV2(spec: string, domain: string): { spec: string; domain: string } {
  return { spec: specV2(spec), domain: domainV2(domain) };
}

function domainV2(text: string): string {
  const doc = parseDocument(text);
  const flow = (value: unknown) => doc.createNode(value, { flow: true });
  doc.setIn(['entities', 'Product', 'fields', 'weightGrams'], flow({ type: 'integer', min: 0, required: false }));
  doc.setIn(['entities', 'Review'], doc.createNode({ description: 'What a customer thinks of a product.' }));
  doc.setIn(['entities', 'Review', 'fields'], doc.createNode({}));
  doc.setIn(['entities', 'Review', 'fields', 'rating'], flow({ type: 'integer', min: 1, max: 5 }));
  doc.setIn(['entities', 'Review', 'fields', 'comment'], flow({ type: 'text', required: false }));
  doc.setIn(['entities', 'Review', 'relations'], doc.createNode({}));
  doc.setIn(['entities', 'Review', 'relations', 'product'], flow({ kind: 'many-to-one', target: 'Product', onDelete: 'cascade' }));
  return print(doc, true);
}

/** As the example's files are written: long lines kept, single quotes, `{ a }` padded in the model only. */
function print(doc: Document, padding = false): string {
  return doc.toString({ lineWidth: 0, flowCollectionPadding: padding, singleQuote: true });
}

function specV2(text: string): string {
  const doc = parseDocument(text);
  const schemas = ['components', 'schemas'];
  // A new field, shown and accepted.
  doc.setIn([...schemas, 'Product', 'properties', 'weightGrams'], doc.createNode({ type: ['integer', 'null'], minimum: 0 }));
  doc.addIn([...schemas, 'Product', 'required'], 'weightGrams');
  doc.setIn([...schemas, 'ProductCreate', 'properties', 'weightGrams'], doc.createNode({ type: ['integer', 'null'], minimum: 0 }));
  doc.setIn([...schemas, 'ProductUpdate', 'properties', 'weightGrams'], doc.createNode({ type: ['integer', 'null'], minimum: 0 }));
  // An endpoint removed.
  doc.deleteIn(['paths', '/customers/{id}', 'delete']);
  // A parameter's type changed: one category becomes a list of them.
  const parameters = doc.getIn(['paths', '/products', 'get', 'parameters']) as { items: { get(key: string): unknown; set(key: string, value: unknown): void }[] };
  const category = parameters.items.find((p) => p.get('name') === 'category');
  if (!category) throw new Error('the v1 spec has no category parameter on listProducts');
  category.set('description', 'Only products in one of these categories (`category=books,games`).');
  category.set('style', 'form');
  category.set('explode', false);
  category.set('schema', doc.createNode({ type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 64 } }));
  // A new entity with its endpoints.
  doc.setIn(['paths', '/products/{productId}/reviews'], doc.createNode(reviewPaths(), { aliasDuplicateObjects: false }));
  doc.setIn([...schemas, 'Review'], doc.createNode({
    type: 'object',
    required: ['id', 'productId', 'rating', 'comment', 'createdAt'],
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      productId: { type: 'string', format: 'uuid', readOnly: true },
      rating: { type: 'integer', minimum: 1, maximum: 5 },
      comment: { type: ['string', 'null'], maxLength: 2000 },
      createdAt: { type: 'string', format: 'date-time', readOnly: true },
    },
  }));
  doc.setIn([...schemas, 'ReviewCreate'], doc.createNode({
    type: 'object',
    additionalProperties: false,
    required: ['rating'],
    properties: { rating: { type: 'integer', minimum: 1, maximum: 5 }, comment: { type: ['string', 'null'], maxLength: 2000, default: null } },
  }));
  doc.setIn([...schemas, 'ReviewEnvelope'], doc.createNode({
    allOf: [{ $ref: '#/components/schemas/SuccessEnvelope' }, { type: 'object', required: ['data'], properties: { data: { $ref: '#/components/schemas/Review' } } }],
  }));
  doc.setIn([...schemas, 'ReviewListEnvelope'], doc.createNode({
    allOf: [
      { $ref: '#/components/schemas/SuccessEnvelope' },
      { type: 'object', required: ['data'], properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Review' } }, meta: { $ref: '#/components/schemas/PaginationMeta' } } },
    ],
  }));
  return print(doc);
}

function reviewPaths(): Record<string, unknown> {
  const productId = { name: 'productId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const errors = {
    '400': { $ref: '#/components/responses/BadRequest' },
    '404': { $ref: '#/components/responses/NotFound' },
    '429': { $ref: '#/components/responses/TooManyRequests' },
  };
  return {
    parameters: [productId],
    get: {
      operationId: 'listProductReviews',
      tags: ['Reviews'],
      summary: "List a product's reviews",
      security: [],
      parameters: [{ $ref: '#/components/parameters/Page' }, { $ref: '#/components/parameters/PageSize' }],
      responses: { '200': { description: 'A page of reviews.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReviewListEnvelope' } } } }, ...errors },
    },
    post: {
      operationId: 'createProductReview',
      tags: ['Reviews'],
      summary: 'Review a product',
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ReviewCreate' } } } },
      responses: {
        '201': { description: 'The review.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReviewEnvelope' } } } },
        '401': { $ref: '#/components/responses/Unauthorized' },
        ...errors,
      },
    },
  };
}
