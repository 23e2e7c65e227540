/** Small labels: a member's role (the bot's own marked as such). */
import { t } from './i18n';
import type { Role } from './types';

export function RoleBadge({ role, bot = false }: { role: Role; bot?: boolean }) {
  const label = role === 'owner' ? t('roleOwner') : role === 'admin' ? t('roleAdmin') : t('roleMember');
  return <span class={`badge ${role}`} title={bot ? t('botRole', { role: label }) : label}>{bot ? t('botRole', { role: label }) : label}</span>;
}
