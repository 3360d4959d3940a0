/**
 * ICAO Doc 9303 machine-readable zones: recognising the layout and verifying its check digits.
 * A wrong check digit means the zone was mistyped, misread or altered; a right one says nothing
 * about whether the document is genuine, only that the zone is internally consistent.
 */

/** The machine-readable zone layouts of Doc 9303 (parts 4 to 7). */
export type MrzLayout = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B';

/** The fields a check digit protects. */
export type MrzField = 'document_number' | 'birth_date' | 'expiry_date' | 'optional_data' | 'composite';

/** What reading a zone established. */
export type MrzVerification =
  | { isRecognised: false }
  | {
      isRecognised: true;
      layout: MrzLayout;
      /** Fields whose check digit does not match. */
      failedFields: MrzField[];
      /** Fields whose check digit was not verified, because the rule for that form is not certain here. */
      uncheckedFields: MrzField[];
      /** With fillers removed; null when the number overflows into the optional data (TD1). */
      documentNumber: string | null;
      /** YYMMDD as printed. */
      expiryDate: string;
    };

/** [line, start, end) of a field. */
type Span = readonly [line: number, start: number, end: number];

type DigitRule = {
  field: MrzField;
  data: readonly Span[];
  /** [line, position] of the check digit. */
  check: readonly [line: number, position: number];
  /** Doc 9303 lets an all-filler optional data field carry '<' instead of the digit 0. */
  isFillerAllowed?: boolean;
};

type LayoutSpec = {
  layout: MrzLayout;
  lineCount: number;
  lineLength: number;
  rules: readonly DigitRule[];
  documentNumber: Span;
  expiryDate: Span;
};

// Positions are zero-based (Doc 9303 counts from one). The second line of TD2, TD3 and both visa
// layouts starts with the same three protected fields.
const numberRule: DigitRule = { field: 'document_number', data: [[1, 0, 9]], check: [1, 9] };
const birthRule: DigitRule = { field: 'birth_date', data: [[1, 13, 19]], check: [1, 19] };
const expiryRule: DigitRule = { field: 'expiry_date', data: [[1, 21, 27]], check: [1, 27] };

const SPECS: readonly LayoutSpec[] = [
  {
    layout: 'TD3',
    lineCount: 2,
    lineLength: 44,
    rules: [
      numberRule,
      birthRule,
      expiryRule,
      { field: 'optional_data', data: [[1, 28, 42]], check: [1, 42], isFillerAllowed: true },
      {
        field: 'composite',
        data: [
          [1, 0, 10],
          [1, 13, 20],
          [1, 21, 43],
        ],
        check: [1, 43],
      },
    ],
    documentNumber: [1, 0, 9],
    expiryDate: [1, 21, 27],
  },
  {
    layout: 'TD2',
    lineCount: 2,
    lineLength: 36,
    rules: [
      numberRule,
      birthRule,
      expiryRule,
      {
        field: 'composite',
        data: [
          [1, 0, 10],
          [1, 13, 20],
          [1, 21, 35],
        ],
        check: [1, 35],
      },
    ],
    documentNumber: [1, 0, 9],
    expiryDate: [1, 21, 27],
  },
  {
    layout: 'TD1',
    lineCount: 3,
    lineLength: 30,
    rules: [
      { field: 'document_number', data: [[0, 5, 14]], check: [0, 14] },
      { field: 'birth_date', data: [[1, 0, 6]], check: [1, 6] },
      { field: 'expiry_date', data: [[1, 8, 14]], check: [1, 14] },
      {
        field: 'composite',
        data: [
          [0, 5, 30],
          [1, 0, 7],
          [1, 8, 15],
          [1, 18, 29],
        ],
        check: [1, 29],
      },
    ],
    documentNumber: [0, 5, 14],
    expiryDate: [1, 8, 14],
  },
  // Visas (Doc 9303 part 7) have no composite or optional-data check digit.
  {
    layout: 'MRV-A',
    lineCount: 2,
    lineLength: 44,
    rules: [numberRule, birthRule, expiryRule],
    documentNumber: [1, 0, 9],
    expiryDate: [1, 21, 27],
  },
  {
    layout: 'MRV-B',
    lineCount: 2,
    lineLength: 36,
    rules: [numberRule, birthRule, expiryRule],
    documentNumber: [1, 0, 9],
    expiryDate: [1, 21, 27],
  },
];

const MRZ_LINE = /^[A-Z0-9<]+$/;
const WEIGHTS = [7, 3, 1] as const;

/** The value Doc 9303 gives a character: digits as such, A=10 … Z=35, the filler '<' = 0. */
function characterValue(character: string): number {
  if (character === '<') return 0;
  const code = character.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  throw new RangeError('Only A-Z, 0-9 and < occur in a machine-readable zone.');
}

/** The Doc 9303 check digit of a field: character values weighted 7, 3, 1 repeating, summed, modulo 10. */
export function computeCheckDigit(field: string): number {
  let sum = 0;
  for (let index = 0; index < field.length; index += 1) {
    sum += characterValue(field.charAt(index)) * WEIGHTS[index % 3]!;
  }
  return sum % 10;
}

function findSpec(lines: readonly string[]): LayoutSpec | undefined {
  const isVisa = lines[0]?.startsWith('V') ?? false;
  return SPECS.find(
    (spec) =>
      spec.lineCount === lines.length &&
      lines.every((line) => line.length === spec.lineLength) &&
      spec.layout.startsWith('MRV') === isVisa,
  );
}

function readSpan(lines: readonly string[], [line, start, end]: Span): string {
  return lines[line]!.slice(start, end);
}

function checkRule(lines: readonly string[], rule: DigitRule): boolean {
  const data = rule.data.map((span) => readSpan(lines, span)).join('');
  const printed = lines[rule.check[0]]!.charAt(rule.check[1]);
  if (rule.isFillerAllowed && printed === '<' && /^<*$/.test(data)) return true;
  return printed === String(computeCheckDigit(data));
}

/** A TD1 number longer than nine characters leaves '<' where its check digit would be. */
function hasOverflowingNumber(spec: LayoutSpec, lines: readonly string[]): boolean {
  return spec.layout === 'TD1' && lines[0]!.charAt(14) === '<';
}

/**
 * Recognises the layout of a zone (lines trimmed and upper-cased first) and verifies every check
 * digit it carries.
 */
export function verifyMrz(rawLines: readonly string[]): MrzVerification {
  const lines = rawLines.map((line) => line.trim().toUpperCase());
  if (!lines.every((line) => MRZ_LINE.test(line))) return { isRecognised: false };
  const spec = findSpec(lines);
  if (spec === undefined) return { isRecognised: false };

  const isOverflowing = hasOverflowingNumber(spec, lines);
  const failedFields: MrzField[] = [];
  const uncheckedFields: MrzField[] = [];
  for (const rule of spec.rules) {
    // The overflow rule (Doc 9303 part 5) leaves doubt over which characters the digit covers,
    // so it is reported as not verified rather than guessed at.
    if (rule.field === 'document_number' && isOverflowing) uncheckedFields.push(rule.field);
    else if (!checkRule(lines, rule)) failedFields.push(rule.field);
  }
  return {
    isRecognised: true,
    layout: spec.layout,
    failedFields,
    uncheckedFields,
    documentNumber: isOverflowing ? null : readSpan(lines, spec.documentNumber).replace(/<+$/, ''),
    expiryDate: readSpan(lines, spec.expiryDate),
  };
}
