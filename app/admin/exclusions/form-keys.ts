// The field-error key under which a warned add names the value "Add anyway" would confirm (apart from
// the form schemas so that the page's JavaScript does not carry zod).
export const CONFIRM_KEY = "value-confirm";
