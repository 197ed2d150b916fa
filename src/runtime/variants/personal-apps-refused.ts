import { issue, validationError } from '../errors.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'personal-apps-refused',
  description: 'The admin plane offers workspace apps only: POST /apps with scope personal is refused with 400 common.validation.',
  allowedBy: 'Brief section 2 defines an app\'s scope as workspace or personal; nothing requires a server to offer both, and refusing a choice it does not offer is ordinary input validation.',
  hooks: {
    requestBody: (next) => (route, body) => {
      if (route === 'POST /apps' && body.scope === 'personal') throw validationError([issue(['scope'], 'scope must be workspace: this server offers no personal apps', 'invalid_enum_value')]);
      return next(route, body);
    },
  },
};
