/**
 * Which prose rules of an operation the design covers. Decided in one place, `coversKind`: a
 * sentence is covered only when every kind it has is declared for the operation.
 */
import type { ImplementationEntry } from '../../model/crud/types.js';
import { operationErrorCodes } from '../../model/error-codes.js';
import type { DomainModel } from '../../model/domain/types.js';
import type { Operation } from '../../model/types.js';
import { buildDeclaredRules, type DeclaredRules } from './declared-rules.js';
import { CASE_INSENSITIVE, findRuleSentences, type NamedCode, type RuleKind, type RuleSentence } from './rule-sentences.js';

export interface ProseRule extends RuleSentence {
  /** The kinds of the sentence the design does not declare for the operation; empty: covered. */
  undeclared: RuleKind[];
  /** The statuses and codes it names that the generated code does not answer for the operation. */
  unanswered: NamedCode[];
}

export interface OperationRules {
  operationId: string;
  /** What the design declares for the operation, as the report says it (`scopes users:write`, `transition cancel from pending, paid`). */
  declared: string[];
  /** The rule-like sentences of its summary and description, covered or not. */
  proseRules: ProseRule[];
  /** Whether a sentence states a rule the design does not declare: the operation is a shape, not its behaviour. */
  notImplemented: boolean;
}

/** Whether the declarations cover a sentence's kind. */
export function coversKind(kind: RuleKind, sentence: RuleSentence, declared: DeclaredRules): boolean {
  switch (kind) {
    case 'roles':
      return declared.roles.length > 0 || declared.policyRoles.length > 0;
    case 'ownership':
      return declared.rowPolicy !== undefined || declared.signIn?.ownAccountOnly === true;
    case 'state':
      return declared.transition !== undefined || declared.stateGuard !== undefined || declared.stateCheck;
    case 'uniqueness':
      return declared.unique.length > 0;
    case 'idempotency':
      return declared.idempotency;
    case 'effect':
      return declared.effects.length > 0;
    case 'error-code':
      return unansweredCodes(sentence, declared).length === 0;
    case 'other':
      // Rules outside the kinds a declaration covers: a login's throttling of failed attempts, a password policy.
      if (declared.passwordPolicy && /\bpassword policy\b/i.test(sentence.text)) return true;
      if (declared.signIn?.throttlesFailures === true && /\b(rate.limit|throttl|lock)/i.test(sentence.text) && /\b(fail|attempt)/i.test(sentence.text)) return true;
      return otherCovered(sentence.text, declared);
  }
}

/**
 * A sentence that states no specific kind of rule is covered only by what it names: a declared check,
 * invariant or reaction that reads one of the fields it mentions, or (for "cannot be set/changed") the
 * request schema that does not carry any of the fields it mentions.
 */
function otherCovered(text: string, declared: DeclaredRules): boolean {
  // "Unique (case-insensitive)": a unique field the model declares `unique: ignore-case`.
  if (CASE_INSENSITIVE.test(text) && declared.unique.some((field) => field.endsWith(' (ignoring case)'))) return true;
  const mentions = (name: string) => new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'i').test(text);
  if (/\bcannot be (?:set|changed)\b/i.test(text)) {
    const named = declared.notInRequest.filter(mentions);
    if (named.length > 0) return true;
  }
  return declared.ruleWords.some((word) => word.length > 2 && mentions(word));
}

/** The statuses and codes a sentence names that the generated code does not answer for the operation. */
export function unansweredCodes(sentence: RuleSentence, declared: DeclaredRules): NamedCode[] {
  return sentence.codes.filter((named) => !declared.answers.some((a) => (named.status === undefined || a.status === named.status) && (named.code === undefined || a.code === named.code)));
}

/** The prose rules of one operation against what the design declares for it. */
export function operationRules(operation: Operation, entry: ImplementationEntry | undefined, domain: DomainModel | undefined, specErrorCodes?: DeclaredRulesCodes): OperationRules {
  const entity = entry?.entity === undefined ? undefined : domain?.entities.find((e) => e.names.original === entry.entity);
  // By default, the spec's own codes the generated server answers (src/model/error-codes.ts decides which).
  const codes = specErrorCodes?.(operation.operationId) ?? operationErrorCodes(operation).filter((c) => c.source === 'spec').map((c) => ({ status: c.status, code: c.code }));
  // A project has a database exactly when it has a domain model (given or inferred).
  const declared = buildDeclaredRules({ operation, entry, entity, specErrorCodes: codes, domain, database: domain !== undefined });
  const context = { states: entity?.stateMachine?.states ?? [] };
  const sentences = [...findRuleSentences(operation.summary, context), ...findRuleSentences(operation.description, context)];
  const proseRules = sentences.map((sentence) => ({
    ...sentence,
    undeclared: sentence.kinds.filter((kind) => !coversKind(kind, sentence, declared)),
    unanswered: unansweredCodes(sentence, declared),
  }));
  return { operationId: operation.operationId, declared: describeDeclared(declared), proseRules, notImplemented: proseRules.some((r) => r.undeclared.length > 0) };
}

/** Spec error codes the server answers, by operationId (see DeclaredRulesInput.specErrorCodes). */
export type DeclaredRulesCodes = (operationId: string) => readonly { status: number; code: string }[];

function describeDeclared(declared: DeclaredRules): string[] {
  return [
    ...(declared.roles.length > 0 ? [`roles/scopes ${declared.roles.join(', ')}`] : []),
    ...(declared.rowPolicy !== undefined ? [`row policy ${declared.rowPolicy}`] : []),
    ...(declared.transition ? [`transition ${declared.transition.name} from ${declared.transition.from.join(', ')}`] : []),
    ...(declared.stateGuard ? [`only in ${declared.stateGuard.join(', ')}`] : []),
    ...declared.deleteRefusals.map((refusal) => `refused while ${refusal}`),
    ...declared.changeRefusals.map((refusal) => `refused while ${refusal}`),
    ...(declared.unique.length > 0 ? [`unique ${declared.unique.join(', ')}`] : []),
    ...(declared.signIn ? [declared.signIn.summary] : []),
    ...(declared.passwordPolicy ? ['password policy'] : []),
    ...(declared.audited ? ['audited'] : []),
    ...(declared.idempotency ? ['idempotency key'] : []),
    ...declared.checks.map((check) => `check ${check}`),
    ...declared.effects.map((effect) => `effect ${effect}`),
  ];
}
