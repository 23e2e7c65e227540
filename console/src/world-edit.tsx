/**
 * Editing the world: a user's nickname, sex, age and area (PUT /api/users/:uid), a group's name and
 * size (PUT /api/groups/:gid). Other tabs see the change through the stream's `world` frame.
 */
import { useState } from 'preact/hooks';
import { act } from './acts';
import { t } from './i18n';
import { world } from './store';
import type { User } from './types';

const SEXES = [['male', 'sexMale'], ['female', 'sexFemale'], ['unknown', 'sexUnknown']] as const;

export function EditUser() {
  const users = world.value?.users ?? [];
  const [id, setId] = useState('');
  const [fields, setFields] = useState({ nickname: '', sex: 'unknown', age: '', area: '' });
  const pick = (value: string): void => {
    setId(value);
    const u: User | undefined = users.find((x) => String(x.user_id) === value);
    if (u !== undefined) setFields({ nickname: u.nickname, sex: u.sex, age: String(u.age), area: u.area });
  };
  const set = (key: keyof typeof fields) => (e: Event): void => setFields({ ...fields, [key]: (e.currentTarget as HTMLInputElement).value });
  return (
    <details class="form">
      <summary>{t('editUser')}</summary>
      <form aria-label={t('editUser')} onSubmit={(e) => {
        e.preventDefault();
        void act(t('editUser'), 'PUT', `/api/users/${id}`, { nickname: fields.nickname, sex: fields.sex, age: Number(fields.age), area: fields.area });
      }}>
        <label>{t('editWho')}
          <select required aria-label={t('editWho')} value={id} onChange={(e) => pick(e.currentTarget.value)}>
            <option value="">—</option>
            {users.map((u) => <option key={u.user_id} value={String(u.user_id)}>{u.nickname} ({u.user_id})</option>)}
          </select>
        </label>
        <label>{t('nicknameLabel')}<input required value={fields.nickname} onInput={set('nickname')} /></label>
        <label>{t('sexLabel')}
          <select aria-label={t('sexLabel')} value={fields.sex} onChange={set('sex')}>{SEXES.map(([v, k]) => <option key={v} value={v}>{t(k)}</option>)}</select>
        </label>
        <label>{t('ageLabel')}<input type="number" min={0} max={255} value={fields.age} onInput={set('age')} /></label>
        <label>{t('areaLabel')}<input value={fields.area} onInput={set('area')} /></label>
        <button type="submit" disabled={id === ''}>{t('save')}</button>
      </form>
    </details>
  );
}

export function EditGroup() {
  const groups = world.value?.groups ?? [];
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [max, setMax] = useState('');
  const pick = (value: string): void => {
    setId(value);
    const g = groups.find((x) => String(x.group_id) === value);
    if (g !== undefined) {
      setName(g.group_name);
      setMax(String(g.max_member_count));
    }
  };
  return (
    <details class="form">
      <summary>{t('editGroup')}</summary>
      <form aria-label={t('editGroup')} onSubmit={(e) => {
        e.preventDefault();
        void act(t('editGroup'), 'PUT', `/api/groups/${id}`, { group_name: name, max_member_count: Number(max) });
      }}>
        <label>{t('editWhich')}
          <select required aria-label={t('editWhich')} value={id} onChange={(e) => pick(e.currentTarget.value)}>
            <option value="">—</option>
            {groups.map((g) => <option key={g.group_id} value={String(g.group_id)}>{g.group_name} ({g.group_id})</option>)}
          </select>
        </label>
        <label>{t('groupName')}<input required value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <label>{t('maxMembers')}<input type="number" min={1} value={max} onInput={(e) => setMax(e.currentTarget.value)} /></label>
        <button type="submit" disabled={id === ''}>{t('save')}</button>
      </form>
    </details>
  );
}
