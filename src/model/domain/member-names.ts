/** Members every object has: an entity's field named so would replace them (`get toString()`). */
const INHERITED_MEMBERS = Object.getOwnPropertyNames(Object.prototype);

/** Names an entity class has for itself (templates/project/src/models/__entity__.entity.gen.ts.hbs) or inherits. */
export const ENTITY_MEMBERS: ReadonlySet<string> = new Set(['id', 'props', 'update', 'change', 'can', 'transition', 'toProps', 'pullEvents', 'pendingEvents', 'assertValid', 'storedId', ...INHERITED_MEMBERS]);

/** Names a value object class has for itself (templates/project/src/models/__value__.value.gen.ts.hbs) or inherits. */
export const VALUE_OBJECT_MEMBERS: ReadonlySet<string> = new Set(['props', 'equals', 'toProps', 'assertValid', ...INHERITED_MEMBERS]);
