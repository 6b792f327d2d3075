/** The account (admin): name, time zone (reports and imports without a zone use it), default language, currency. */
import { useEffect, useState } from 'react';
import { Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, patch } from '../../lib/api';
import type { ApiOk } from '../../api/types';
import { zonesWith } from './QueuesScreen';
import { ErrorAlert, ListState, SaveRow, ScreenHeader, SubmitForm, useFieldErrors, useSave } from './ui';

type Account = ApiOk<'/api/v1/account', 'get'>;

export function AccountScreen() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const account = useQuery({ queryKey: ['admin', 'account'], queryFn: () => get<Account>('/account') });
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState('UTC');
  const [locale, setLocale] = useState('en');
  const [currency, setCurrency] = useState('EUR');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!account.data) return;
    setName(account.data.name);
    setTimezone(account.data.timezone);
    setLocale(account.data.locale);
    setCurrency(account.data.currency);
  }, [account.data]);
  const save = useSave(() => patch<Account>('/account', { name, timezone, locale, currency: currency.toUpperCase() }), [['admin', 'account'], ['me']], () => setSaved(true));
  const { fe, rest } = useFieldErrors(save.error, ['name', 'timezone', 'locale', 'currency']);
  const dirty = () => setSaved(false);
  return (
    <>
      <ScreenHeader title={t('nav.account')} description={t('account.intro')} />
      <ListState loading={account.isLoading} error={account.error} empty={false} />
      {account.data && (
        <SubmitForm
          onSubmit={() => {
            setSaved(false);
            save.mutate(undefined);
          }}
        >
          <Stack maw={480}>
            <Text size="sm">
              {t('account.slug')}: <code>{account.data.slug}</code>
            </Text>
            <TextInput label={t('account.name')} value={name} onChange={(e) => { dirty(); setName(e.currentTarget.value); }} error={fe('name')} required />
            <Select label={t('account.timezone')} description={t('account.timezoneHelp')} searchable allowDeselect={false} value={timezone} onChange={(v) => { dirty(); if (v) setTimezone(v); }} data={zonesWith(timezone)} error={fe('timezone')} />
            <Select
              label={t('account.locale')}
              description={t('account.localeHelp')}
              allowDeselect={false}
              value={locale}
              onChange={(v) => { dirty(); if (v) setLocale(v); }}
              data={['en', 'de', 'nb'].map((l) => ({ value: l, label: tc(`lang.${l}`) }))}
              error={fe('locale')}
            />
            <TextInput label={t('account.currency')} description={t('account.currencyHelp')} maxLength={3} value={currency} onChange={(e) => { dirty(); setCurrency(e.currentTarget.value); }} error={fe('currency')} />
            <ErrorAlert message={rest} />
            <SaveRow label={t('common.save')} pending={save.isPending} saved={saved} />
          </Stack>
        </SubmitForm>
      )}
    </>
  );
}
