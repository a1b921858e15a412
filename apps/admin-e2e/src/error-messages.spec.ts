import { expect, test } from '@playwright/test';

/** Messages that say what is wrong and why, in English and in Italian. */

test('an empty sign-in says which field is missing, a refused email the rule it breaks', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter your email address and your password.');
  await page.getByLabel('Email').fill('manager@example.org');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter your password.');

  await page.getByLabel('Language').selectOption('it');
  await expect(page.getByRole('alert')).toHaveText('Inserisci la tua password.');
  await page.getByLabel('Email').fill('');
  await page.getByLabel('Password').fill('Manager-Pass-2026');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('alert')).toHaveText('Inserisci il tuo indirizzo email.');
  // What the API refuses is said with the rule broken.
  await page.getByLabel('Email').fill('manager');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('alert')).toHaveText('Indirizzo email non valido.');
});

test('a clash names the member who has the value; wrong passwords and ranges say so', async ({ page }) => {
  // The seeded manager (serve-lab.js); nothing here is saved, so the test leaves the lab as it found it.
  await page.goto('/login');
  await page.getByLabel('Email').fill('manager@example.org');
  await page.getByLabel('Password').fill('Manager-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
  const banner = page.getByRole('banner');
  const toItalian = () => banner.getByLabel('Language').selectOption('it');
  const toEnglish = () => banner.getByLabel('Lingua').selectOption('en');

  // A member with the email of Giulia Bianchi (staff@example.org).
  await page.goto('/members/new');
  await page.getByLabel('Name', { exact: true }).fill('Ada');
  await page.getByLabel('Email', { exact: true }).fill('staff@example.org');
  await page.getByLabel('Role').selectOption({ label: 'Fab Users' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('This email address already belongs to Giulia Bianchi.');
  await expect(page.getByText('Already in use: see below.')).toBeVisible();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await toItalian();
  await expect(page.getByRole('alert')).toHaveText('Questo indirizzo email appartiene già a Giulia Bianchi.');
  await toEnglish();
  await expect(page.getByRole('alert')).toHaveText('This email address already belongs to Giulia Bianchi.');

  // The machine form states its rules: the topic id's range, the name's length and what the board shows.
  await page.goto('/machines/new');
  await expect(page.getByText('The board shows its first 16 characters.')).toBeVisible();
  await page.getByLabel('Topic id').fill('65536');
  await page.getByLabel('Topic id').blur();
  await expect(
    page.getByText('A number from 0 to 65535 (up to 5 digits), as typed on the board.'),
  ).toBeVisible();
  await page.getByLabel('Name').fill('x'.repeat(101));
  await page.getByLabel('Name').blur();
  await expect(page.getByText('At most 100 characters.')).toBeVisible();
  // The API states the same rule when a name is taken: the machine that has it is named.
  await page.getByLabel('Topic id').fill('1');
  await page.getByLabel('Name').fill('Error messages test');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('The machine Prusa MK4 already has topic id 1.');

  // The password change on a page with no email field: the current password is wrong.
  await page.goto('/profile');
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password', { exact: true }).fill('Tessera-Rossa-2099');
  await page.getByLabel('Repeat the new password').fill('Tessera-Rossa-2099');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toHaveText('The current password is wrong.');
  await toItalian();
  await expect(page.getByRole('alert')).toHaveText('La password attuale è errata.');
  await toEnglish();

  // Reports: From after To is said once, and asks nothing of the API.
  await page.goto('/reports');
  await page.getByLabel('From', { exact: true }).fill('2026-03-10');
  await page.getByLabel('To', { exact: true }).fill('2026-03-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('alert')).toHaveText('From must be before To.');
  await toItalian();
  await expect(page.getByRole('alert')).toHaveText('«Dal» deve precedere «Al».');
  await toEnglish();
  await expect(page.getByRole('alert')).toHaveText('From must be before To.');
  // A list given such a range by its address says the rule the API states.
  await page.goto('/usage?from=2026-03-10&to=2026-03-01');
  await expect(page.getByRole('alert')).toContainText(
    'The list could not be loaded. To must not be before From.',
  );
});

test('an admin deleting themself is told why not, not that an email or card clashes', async ({ page }) => {
  // The seeded admin (serve-lab.js): the refusal changes nothing.
  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@example.org');
  await page.getByLabel('Password').fill('Admin-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();

  await page.goto('/members');
  await page.getByRole('searchbox', { name: /Search/ }).fill('Gialli');
  await page.keyboard.press('Enter');
  await page.getByRole('row').filter({ hasText: 'Gialli' }).getByRole('link', { name: 'Sara' }).click();
  await page.getByRole('button', { name: 'Delete member' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('alert')).toHaveText('You cannot delete yourself: ask another admin.');
  await page.getByRole('banner').getByLabel('Language').selectOption('it');
  await expect(page.getByRole('alert')).toHaveText(
    'Non puoi eliminare te stesso: chiedi a un altro amministratore.',
  );
  await page.getByRole('banner').getByLabel('Lingua').selectOption('en');
});
